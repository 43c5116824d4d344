import { strToU8, zipSync } from 'fflate';
import { detectAttachmentType } from './content-type';

const zip = (files: Record<string, string>) =>
  Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))));
const ole2 = (stream: string) =>
  Buffer.concat([
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    Buffer.alloc(504),
    Buffer.from(stream, 'utf16le'),
  ]);

describe('detectAttachmentType (by content, never by name)', () => {
  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n…'), 'application/pdf'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'image/jpeg'],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'image/png'],
    [
      'a DOCX',
      zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'an XLSX',
      zip({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' }),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    ['an OFD', zip({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<ofd:Document/>' }), 'application/ofd'],
    ['a Word 97 file', ole2('WordDocument'), 'application/msword'],
    ['an Excel 97 file', ole2('Workbook'), 'application/vnd.ms-excel'],
  ])('%s', (_what, bytes, type) => {
    expect(detectAttachmentType(bytes)).toBe(type);
  });

  it.each([
    ['a Windows program', Buffer.from('MZ\x90\x00\x03\x00\x00\x00PE\x00\x00', 'latin1')],
    ['a shell script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['HTML', Buffer.from('<html><script>alert(1)</script></html>')],
    ['a zip of something else', zip({ 'readme.txt': 'hello' })],
    ['a zip with no directory', Buffer.from('PK\x03\x04garbage', 'latin1')],
    ['an OLE2 file that is neither', ole2('SummaryInformation')],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_what, bytes) => {
    expect(detectAttachmentType(bytes)).toBeNull();
  });
});
