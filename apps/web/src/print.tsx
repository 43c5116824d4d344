import { useEffect, useState } from 'react';
import { formatDateTime } from './format';

/** 打印: the browser's print dialog; the print stylesheet (styles.css @media print) lays the page out for A4. */
export function PrintButton() {
  return (
    <button type="button" className="print-button" onClick={() => window.print()}>
      打印
    </button>
  );
}

/**
 * Shown on paper only: what the page is and when it was printed (a printed 台账 is evidence of a moment). The time is
 * taken again just before printing, not when the page was opened.
 */
export function PrintStamp({ title }: { title: string }) {
  const [at, setAt] = useState(() => new Date().toISOString());
  useEffect(() => {
    const stamp = () => setAt(new Date().toISOString());
    window.addEventListener('beforeprint', stamp);
    return () => window.removeEventListener('beforeprint', stamp);
  }, []);
  return (
    <div className="print-only print-stamp" data-testid="print-stamp">
      平罗县任务清单督办 · {title} · 打印时间 {formatDateTime(at)}
    </div>
  );
}
