/**
 * Kazakh IIN (individuals) and BIN (organizations): 12 digits, the last a
 * check digit computed mod 11 with two weight passes (Government decree
 * No. 406 of 22 May 2007). A prefix whose check digit comes out 10 twice
 * is never issued, so it is invalid whatever its last digit.
 */
const W1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

export function checkDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const d = [...first11].map(Number);
  const sum = (w: number[]) => w.reduce((acc, wi, i) => acc + wi * d[i]!, 0);
  let c = sum(W1) % 11;
  if (c === 10) c = sum(W2) % 11;
  return c === 10 ? null : c;
}

/** True for a well-formed 12-digit IIN or BIN with a correct check digit. */
export function isValidIinBin(value: string): boolean {
  return /^\d{12}$/.test(value) && checkDigit(value.slice(0, 11)) === Number(value[11]);
}

/** A BIN's fifth digit names the kind of organization (4, 5 or 6); an IIN's is a day digit (0–3). */
export function isValidBin(value: string): boolean {
  return isValidIinBin(value) && ['4', '5', '6'].includes(value[4]!);
}

export function isValidIin(value: string): boolean {
  if (!isValidIinBin(value)) return false;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  const century = Number(value[6]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && century >= 1 && century <= 6;
}

/** Completes an 11-digit prefix with its check digit, or null if none exists (test data, demo seeds). */
export function withCheckDigit(first11: string): string | null {
  const c = checkDigit(first11);
  return c === null ? null : first11 + String(c);
}
