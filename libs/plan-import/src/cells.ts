/**
 * Interpreting cell text: numbered items (推进措施, 预期目标) and unit lists (牵头单位, 责任单位).
 */

/** `1.` `1、` `1．` `（1）` `(1)` at the start of a (trimmed) line. */
const ITEM_NUMBER = /^(?:\d+\s*[.、．]|[（(]\s*\d+\s*[)）])\s*/;
/** Left behind by .doc → text conversion, e.g. `[bookmark: 4537327-4747568-0]`. */
const CONVERSION_ARTEFACT = /\[bookmark:[^\]]*\]/g;

export function removeArtefacts(text: string): string {
  return text.replace(CONVERSION_ARTEFACT, '');
}

/**
 * Splits a cell into its numbered items. A line without a number continues the previous item (joined
 * without a separator: the break is a line wrap in Chinese text, not a space); numbering is removed.
 */
export function splitNumberedItems(cell: string): string[] {
  const items: string[] = [];
  for (const rawLine of removeArtefacts(cell).split('\n')) {
    const line = rawLine.trim();
    if (!line) continue;
    if (ITEM_NUMBER.test(line) || items.length === 0) items.push(line.replace(ITEM_NUMBER, '').trim());
    else items[items.length - 1] += line;
  }
  return items.filter(Boolean);
}

/** Joins a cell's wrapped lines into one line of text. */
export function joinLines(cell: string): string {
  return removeArtefacts(cell)
    .split('\n')
    .map((line) => line.trim())
    .join('');
}

export interface UnitCell {
  units: string[];
  allTownships: boolean;
  relatedDepartments: boolean;
}

const ALL_TOWNSHIPS = '各乡镇';
/** "…and other relevant departments": the named unit keeps its name, the suffix becomes a flag. */
const RELATED_SUFFIXES = ['等相关部门', '等部门'];
const RELATED_ALONE = ['县相关部门', '相关部门'];

export function splitUnits(cell: string): UnitCell {
  const result: UnitCell = { units: [], allTownships: false, relatedDepartments: false };
  // A line break separates units too: Word cells often list one unit per paragraph.
  for (const part of removeArtefacts(cell).split(/[、，,；;\n]/)) {
    let name = part.trim();
    if (!name) continue;
    if (name === ALL_TOWNSHIPS) {
      result.allTownships = true;
      continue;
    }
    if (RELATED_ALONE.includes(name)) {
      result.relatedDepartments = true;
      continue;
    }
    const suffix = RELATED_SUFFIXES.find((candidate) => name.endsWith(candidate));
    if (suffix) {
      result.relatedDepartments = true;
      name = name.slice(0, -suffix.length).trim();
      if (!name) continue;
    }
    if (!result.units.includes(name)) result.units.push(name);
  }
  return result;
}
