import { getSession } from './api';
import { useUnitName } from './hooks';

/** The signed-in user's unit (none before login). */
export function myUnitId(): string | undefined {
  return getSession()?.user.unitId;
}

/** Is `unitId` the signed-in user's own unit? Such a unit is highlighted wherever it is named (class `mine`). */
export function isMine(unitId: string | null | undefined): boolean {
  return Boolean(unitId) && unitId === myUnitId();
}

/** `className` with `mine` added for the user's own unit. */
export function mineClass(unitId: string | null | undefined, className = ''): string | undefined {
  const classes = [className, isMine(unitId) ? 'mine' : ''].filter(Boolean).join(' ');
  return classes || undefined;
}

/** A unit's short name; the user's own unit stands out (class `mine`) so one's own part is found at a glance. */
export function UnitName({ id, className = 'unit-name' }: { id: string | null | undefined; className?: string }) {
  const unitName = useUnitName();
  return (
    <span className={mineClass(id, className)} data-unit-name={id ?? undefined}>
      {unitName(id)}
    </span>
  );
}
