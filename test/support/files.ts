import { randomBytes } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { buildDocx } from './docx';

/**
 * Real files of each 佐证材料 type, made in the test (each with a random tail, so a suite's files are its own). They
 * are minimal but genuine: a PDF reader opens the PDF, an image viewer the JPEG; the OFD and DOCX are zips with the
 * parts their formats require.
 */
export function pdfFile(text = '关于印发实施方案的通知'): Buffer {
  const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${Buffer.from(text).toString('hex')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.concat([Buffer.from(body, 'latin1'), Buffer.from(`% ${randomBytes(8).toString('hex')}\n`)]);
}

/** A baseline JPEG: SOI, a JFIF APP0 header, a comment, EOI. */
export function jpegFile(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    Buffer.from([0xff, 0xfe, 0x00, 0x12]),
    randomBytes(16),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** GB/T 33190: an OFD package has OFD.xml at its root, pointing at its documents. */
export function ofdFile(): Buffer {
  return Buffer.from(
    zipSync({
      'OFD.xml': strToU8(
        `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>${randomBytes(8).toString('hex')}</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
      ),
      'Doc_0/Document.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData><ofd:Pages/></ofd:Document>',
      ),
    }),
  );
}

export function docxFile(): Buffer {
  return Buffer.from(buildDocx(`会议纪要 ${randomBytes(4).toString('hex')}`, [['议题', '结论']]));
}

/** A Windows program (an MZ header and a PE signature): renamed to .pdf, it must still be refused. */
export function exeFile(): Buffer {
  const header = Buffer.alloc(256);
  header.write('MZ', 0, 'latin1');
  header.writeUInt32LE(0x80, 0x3c);
  header.write('PE\0\0', 0x80, 'latin1');
  return Buffer.concat([header, randomBytes(64)]);
}
