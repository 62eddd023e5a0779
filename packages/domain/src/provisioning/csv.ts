/**
 * RFC 4180 CSV: quoted fields may hold the delimiter, doubled quotes and line breaks. Spreadsheets in much of
 * Europe write ";" instead of ",", so the delimiter is taken from the header line unless given.
 */

export interface CsvRow {
  /** 1-based line of the file where the row starts, for messages. */
  line: number;
  cells: string[];
}

export function detectDelimiter(text: string): "," | ";" | "\t" {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const count = (c: string) => header.split(c).length - 1;
  const candidates = [",", ";", "\t"] as const;
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ",");
}

export function parseCsv(text: string, delimiter: string = detectDelimiter(text)): CsvRow[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const boundary = new RegExp(`[${delimiter.replace(/[\\^\]-]/g, "\\$&")}\\r\\n]`, "g");
  const n = source.length;
  /** Where the unquoted text starting at `from` ends: the next delimiter or line break, or the end. */
  const endOf = (from: number) => {
    boundary.lastIndex = from;
    return boundary.exec(source)?.index ?? n;
  };
  const rows: CsvRow[] = [];
  let i = 0;
  let line = 1;
  while (i < n) {
    const rowLine = line;
    const cells: string[] = [];
    for (;;) {
      let start = i;
      while (source[start] === " " || source[start] === "\t") start++;
      let cell: string;
      if (source[start] === '"') {
        cell = "";
        let j = start + 1;
        for (;;) {
          const quote = source.indexOf('"', j);
          const piece = source.slice(j, quote === -1 ? n : quote);
          cell += piece;
          line += piece.split("\n").length - 1;
          if (quote === -1) {
            i = n;
            break;
          }
          if (source[quote + 1] === '"') {
            cell += '"';
            j = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        const end = endOf(i);
        cell += source.slice(i, end);
        i = end;
      } else {
        const end = endOf(i);
        cell = source.slice(i, end);
        i = end;
      }
      cells.push(cell);
      if (i < n && source[i] === delimiter) {
        i++;
        continue;
      }
      break;
    }
    if (source[i] === "\r") i++;
    if (source[i] === "\n") i++;
    line++;
    if (cells.length > 1 || cells[0] !== "") rows.push({ line: rowLine, cells });
  }
  return rows;
}
