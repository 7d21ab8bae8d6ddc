const ICONS = { edit: '✎', delete: '🗑', view: '👁' } as const;

interface Props {
  kind: keyof typeof ICONS;
  /** Spoken name, naming the row it acts on (e.g. "Delete: <name>"). */
  label: string;
  /** Tooltip: the action alone. */
  title: string;
  onClick(): void;
}

/** The pencil / bin / eye pictograms of list rows (the seeds' «Қарындаш», «Себеттер», eye icon). */
export function IconButton({ kind, label, title, onClick }: Props) {
  return (
    <button type="button" className={`icon-btn${kind === 'delete' ? ' icon-danger' : ''}`} aria-label={label} title={title} onClick={onClick}>
      <span aria-hidden="true">{ICONS[kind]}</span>
    </button>
  );
}
