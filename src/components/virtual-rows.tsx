import { measureElement, observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useCallback, useEffect, useRef } from 'react';

interface VirtualRowsProps<T> {
  items: readonly T[];
  /** A row's height before it is measured; rows are measured once rendered, so a row may grow (a card at narrow widths). */
  rowHeight: number;
  /** Visible height in px; rows outside it (plus a small overscan) are not in the DOM. */
  height: number;
  label: string;
  getKey: (item: T, index: number) => string;
  renderRow: (item: T, index: number) => ReactNode;
  /** Told the index of the last row rendered, after each render: where a list that loads as it scrolls asks for more. */
  onRendered?: (lastIndex: number) => void;
}

/**
 * A list of rows of which only those in view are rendered, so 10,000 rows
 * cost about as much as 30. The first rows render on the first pass
 * (initialRect), before the container has been measured. Each rendered row
 * is measured, so a row's height can follow its layout (CSS container
 * queries turn rows into taller cards in a narrow list).
 */
export function VirtualRows<T>({ items, rowHeight, height, label, getKey, renderRow, onRendered }: VirtualRowsProps<T>) {
  const scrollRef = useRef<HTMLElement>(null);
  const getKeyRef = useRef(getKey);
  getKeyRef.current = getKey;
  // Stable between renders of the same items: a new getItemKey makes the virtualizer re-measure every row.
  const getItemKey = useCallback((index: number) => getKeyRef.current(items[index] as T, index), [items]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey,
    overscan: 8,
    initialRect: { width: 1024, height },
    // Not laid out yet (or no layout at all, as in jsdom): show the first screenful rather than nothing.
    observeElementRect: (instance, callback) =>
      observeElementRect(instance, (rect) => callback(rect.height > 0 ? rect : { width: rect.width, height })),
    // Likewise a row not laid out (hidden, or jsdom) keeps its estimate: at 0 px every row would be "in view".
    measureElement: (element, entry, instance) => {
      const measured = measureElement(element, entry, instance);
      return measured > 0 ? measured : rowHeight;
    },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= 0) onRendered?.(lastIndex);
  }, [lastIndex, onRendered]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable from the keyboard.
    <section ref={scrollRef} aria-label={label} tabIndex={0} className="@container overflow-y-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-600" style={{ height }}>
      <ul aria-label={label} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualItems.map((row) => (
          <li
            key={row.key}
            ref={virtualizer.measureElement}
            data-index={row.index}
            aria-setsize={items.length}
            aria-posinset={row.index + 1}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, minHeight: rowHeight, transform: `translateY(${row.start}px)` }}
          >
            {renderRow(items[row.index] as T, row.index)}
          </li>
        ))}
      </ul>
    </section>
  );
}
