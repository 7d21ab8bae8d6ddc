/**
 * The serial in XMP as `dc:identifier`. An existing packet is edited in place (only the identifier
 * changes; PDF/A identification `pdfaid:part/conformance` and everything else stay byte for byte),
 * otherwise a minimal, well-formed packet is made. Text operations rather than an XML parser: XMP
 * packets in the wild are serialised in several equivalent RDF forms, and a parse-and-reserialise
 * round trip would rewrite all of them (and could drop what a parser does not model).
 */

const DC_NS = 'http://purl.org/dc/elements/1.1/';
const PADDING = `${' '.repeat(99)}\n`.repeat(20);

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface XmpUpdate {
  xmp: string;
  /** The identifier that was there before, when it was not one of our serials (the caller notes it). */
  replaced?: string;
}

export function newXmpPacket(serial: string): string {
  return (
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/">\n` +
    ` <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n` +
    `  <rdf:Description rdf:about="" xmlns:dc="${DC_NS}">\n` +
    `   <dc:identifier>${escapeXml(serial)}</dc:identifier>\n` +
    `  </rdf:Description>\n` +
    ` </rdf:RDF>\n` +
    `</x:xmpmeta>\n` +
    PADDING +
    `<?xpacket end="w"?>`
  );
}

const SERIAL_RE = /^SRK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]$/;

/**
 * Sets dc:identifier in an existing packet. Returns null when the packet has no rdf:RDF element
 * we can add to (malformed): the caller then keeps it as it is and relies on the Info entry.
 */
export function setXmpIdentifier(xmp: string, serial: string): XmpUpdate | null {
  const value = escapeXml(serial);
  const prior = (v: string): Partial<XmpUpdate> => {
    const t = v.replace(/<[^>]*>/g, '').trim();
    return t && !SERIAL_RE.test(t) ? { replaced: t } : {};
  };
  // Element form, possibly wrapped (some writers use an rdf:Bag/Alt): the whole element is replaced.
  const element = /<dc:identifier\s*>([\s\S]*?)<\/dc:identifier\s*>|<dc:identifier\s*\/>/.exec(xmp);
  if (element) {
    return { xmp: xmp.slice(0, element.index) + `<dc:identifier>${value}</dc:identifier>` + xmp.slice(element.index + element[0].length), ...prior(element[1] ?? '') };
  }
  const attribute = /(\sdc:identifier\s*=\s*)(["'])([^"']*)\2/.exec(xmp);
  if (attribute) {
    return { xmp: xmp.slice(0, attribute.index) + `${attribute[1]}"${value}"` + xmp.slice(attribute.index + attribute[0].length), ...prior(attribute[3] ?? '') };
  }
  const close = /<\/rdf:RDF\s*>/.exec(xmp);
  if (!close || !/<rdf:RDF[\s>]/.test(xmp)) return null;
  // A separate rdf:Description about the same resource is valid RDF and leaves the others untouched
  // (PDF/A wants every description to name the same rdf:about, so the first one's is reused).
  const about = /rdf:about\s*=\s*(["'])([^"']*)\1/.exec(xmp)?.[2] ?? '';
  const description = `<rdf:Description rdf:about="${escapeXml(about)}" xmlns:dc="${DC_NS}">\n   <dc:identifier>${value}</dc:identifier>\n  </rdf:Description>\n `;
  return { xmp: xmp.slice(0, close.index) + description + xmp.slice(close.index) };
}
