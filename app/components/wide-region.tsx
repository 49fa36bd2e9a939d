// A table (or anything wide) that scrolls sideways inside its own named region: keyboard users
// can focus it to scroll, and a visible hint says there is more while it overflows.
import { type ReactNode, useEffect, useRef, useState } from "react";

interface Props {
  label: string;
  children: ReactNode;
  className?: string;
}

export function WideRegion({ label, children, className = "" }: Props) {
  const box = useRef<HTMLElement>(null);
  const [overflowing, setOverflowing] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setOverflowing(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <>
      {overflowing && (
        <p className="muted px-4 pt-1 text-right text-xs" aria-hidden="true" data-testid="scroll-hint">
          Scroll sideways for more →
        </p>
      )}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section ref={box} aria-label={label} tabIndex={0} className={`overflow-x-auto ${className}`.trim()}>
        {children}
      </section>
    </>
  );
}
