/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks (the GenieACS dumps carry
 * multi-line DeviceLog values). Returns rows of raw field strings.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let k = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (k < text.length) {
    const c = text[k];
    if (quoted) {
      if (c === '"') {
        if (text[k + 1] === '"') {
          field += '"';
          k += 2;
          continue;
        }
        quoted = false;
        k++;
        continue;
      }
      field += c;
      k++;
      continue;
    }
    if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      row.push(field);
      field = "";
      rows.push(row);
      row = [];
      if (c === "\r" && text[k + 1] === "\n") k++;
    } else {
      field += c;
    }
    k++;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
