// Following the conversation: the view stays pinned to the newest text while the reader is at
// the bottom, and is left alone once they scroll up (no jump when an answer ends). Sending a
// message or opening another conversation pins it again.
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** Within this many pixels of the end counts as "at the bottom". */
const NEAR_END_PX = 48;

export function useFollow(
  scroller: RefObject<HTMLElement | null>,
  content: RefObject<HTMLElement | null>,
  /** Changes when the reader asks for the newest text: a message sent, a conversation opened. */
  pinKey: string,
) {
  const pinned = useRef(true);
  const lastTop = useRef(0);
  const [away, setAway] = useState(false);

  const toEnd = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    lastTop.current = element.scrollTop;
  }, [scroller]);

  // A scroll up (wheel, keys, touch, scrollbar) unpins; reaching the end again re-pins.
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => {
      const gap = element.scrollHeight - element.scrollTop - element.clientHeight;
      if (gap <= NEAR_END_PX) pinned.current = true;
      else if (element.scrollTop < lastTop.current) pinned.current = false;
      lastTop.current = element.scrollTop;
      setAway(gap > NEAR_END_PX);
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    return () => element.removeEventListener("scroll", onScroll);
  }, [scroller]);

  // New text (tokens, a finished answer's footer, markdown rendered late) follows only when pinned.
  useEffect(() => {
    const element = content.current;
    const view = scroller.current;
    if (!element || !view) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) toEnd();
      setAway(view.scrollHeight - view.scrollTop - view.clientHeight > NEAR_END_PX);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [content, scroller, toEnd]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: pinKey is the trigger, not an input
  useLayoutEffect(() => {
    pinned.current = true;
    toEnd();
  }, [pinKey, toEnd]);

  const jumpToLatest = useCallback(() => {
    pinned.current = true;
    toEnd();
    setAway(false);
  }, [toEnd]);

  return { away, jumpToLatest };
}
