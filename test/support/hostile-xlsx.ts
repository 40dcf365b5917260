// Hostile .xlsx files for tests and benchmarks, written byte by byte so that they can lie: zip bombs in the sheet,
// in sharedStrings.xml or in styles.xml, sizes declared smaller than the data inflates to, thousands of entries,
// a million empty rows, a merged area of the whole sheet, a cell in column XFD on every row. Big contents are
// never held in memory: a repeated piece is deflated once and its compressed bytes repeated (each piece is a
// sync-flushed run of blocks, so the concatenation is one valid deflate stream).
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Plain content, or head + `repeat` × piece + tail for contents too big to hold. */
  data: string | { head: string; piece: string; repeat: number; tail: string };
  /** The uncompressed size written into the headers when it should lie. */
  declaredSize?: number;
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
const segment = (s: string): Buffer => deflateRawSync(enc(s), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });

function deflated(data: ZipEntry['data']): { bytes: Buffer; size: number; crc: number } {
  if (typeof data === 'string') {
    const raw = enc(data);
    return { bytes: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
  }
  const piece = enc(data.piece);
  const pieceZ = segment(data.piece);
  const parts: Buffer[] = [segment(data.head)];
  let crc = crc32(enc(data.head));
  for (let i = 0; i < data.repeat; i++) {
    parts.push(pieceZ);
    crc = crc32(piece, crc);
  }
  parts.push(segment(data.tail), deflateRawSync(Buffer.alloc(0)));
  crc = crc32(enc(data.tail), crc);
  return {
    bytes: Buffer.concat(parts),
    size: enc(data.head).length + piece.length * data.repeat + enc(data.tail).length,
    crc,
  };
}

/** A zip archive (deflate, UTF-8 names) whose headers declare `declaredSize` where given. */
export function zipArchive(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { bytes, size, crc } = deflated(entry.data);
    const declared = entry.declaredSize ?? size;
    const name = enc(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(bytes.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, bytes);
    centrals.push(central, name);
    offset += local.length + name.length + bytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts every workbook needs around one sheet (and, when given, sharedStrings/styles). */
function workbookEntries(parts: {
  sheet: ZipEntry['data'];
  sharedStrings?: ZipEntry['data'];
  styles?: ZipEntry['data'];
}): ZipEntry[] {
  const overrides = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
    parts.sharedStrings
      ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      : '',
    parts.styles
      ? '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      : '',
  ].join('');
  const rels = [
    `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>`,
    parts.sharedStrings ? `<Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>` : '',
    parts.styles ? `<Relationship Id="rId3" Type="${REL_NS}/styles" Target="styles.xml"/>` : '',
  ].join('');
  return [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides}</Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL_NS}"><sheets><sheet name="附件1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: parts.sheet },
    ...(parts.sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: parts.sharedStrings }] : []),
    ...(parts.styles ? [{ name: 'xl/styles.xml', data: parts.styles }] : []),
  ];
}

const sheetXml = (rows: string, extra = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData>${extra}</worksheet>`;

const MB = 1024 * 1024;
const filler = (char: string, bytes: number): string => char.repeat(bytes);

/** The hostile files, by name; each a complete .xlsx a county could upload. `inflatedMb` sizes the bombs. */
export function hostileXlsx(inflatedMb = 300): Record<string, Buffer> {
  const bomb = (head: string, tail: string) => ({ head, piece: filler('A', MB), repeat: inflatedMb, tail });
  const oneCell = sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>');
  return {
    /** ~300 MB of text in one inline cell of the sheet (the file that took the stack down). */
    'sheet-bomb.xlsx': zipArchive(
      workbookEntries({
        sheet: bomb(
          `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`,
          '</t></is></c></row></sheetData></worksheet>',
        ),
      }),
    ),
    /** The bomb in sharedStrings.xml, the sheet small. */
    'shared-strings-bomb.xlsx': zipArchive(
      workbookEntries({
        sheet: oneCell,
        sharedStrings: bomb(`<sst xmlns="${NS}" count="1" uniqueCount="1"><si><t>`, '</t></si></sst>'),
      }),
    ),
    /** The bomb in styles.xml (whitespace inside the root element). */
    'styles-bomb.xlsx': zipArchive(
      workbookEntries({
        sheet: oneCell,
        sharedStrings: `<sst xmlns="${NS}" count="1" uniqueCount="1"><si><t>序号</t></si></sst>`,
        styles: {
          head: `<styleSheet xmlns="${NS}">`,
          piece: filler(' ', MB),
          repeat: inflatedMb,
          tail: '</styleSheet>',
        },
      }),
    ),
    /** The sheet bomb again, its headers declaring 1 KB. */
    'lying-size.xlsx': zipArchive(
      workbookEntries({
        sheet: bomb(
          `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`,
          '</t></is></c></row></sheetData></worksheet>',
        ),
      }).map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { ...e, declaredSize: 1024 } : e)),
    ),
    /** 1,000,000 empty rows. */
    'million-empty-rows.xlsx': zipArchive(
      workbookEntries({
        sheet: (() => {
          const rows: string[] = [];
          for (let r = 1; r <= 1_000_000; r++) rows.push(`<row r="${r}"/>`);
          return sheetXml(rows.join(''));
        })(),
      }),
    ),
    /** 5,000 entries beside a small workbook. */
    'many-entries.xlsx': zipArchive([
      ...workbookEntries({ sheet: oneCell }),
      ...Array.from({ length: 5000 }, (_, i) => ({ name: `xl/media/image${i}.xml`, data: '<x/>' })),
    ]),
    /** One merged area covering the whole sheet (17 billion cells if anything expands it). */
    'merge-everything.xlsx': zipArchive(
      workbookEntries({
        sheet: sheetXml(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row>',
          '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        ),
      }),
    ),
    /** 20,000 rows, each with one cell in column XFD (16,384 columns wide if read as a grid). */
    'far-column.xlsx': zipArchive(
      workbookEntries({
        sheet: (() => {
          const rows: string[] = [];
          for (let r = 1; r <= 20_000; r++) rows.push(`<row r="${r}"><c r="XFD${r}"><v>1</v></c></row>`);
          return sheetXml(rows.join(''));
        })(),
      }),
    ),
  };
}
