// The chat page: wires the conversation state to the header, sidebar, transcript and composer,
// and decides where focus goes when something it was on goes away.
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import { problemFrom } from "~/client/api";
import { useGuestAllowance } from "~/client/use-allowance";
import { type Removed, useChat } from "~/client/use-chat";
import { useUploader } from "~/client/use-uploader";
import type { ChatPageData } from "~/routes/chat.server";
import { BuyCredits, LowBalanceNotice } from "./buy-credits";
import { ChatHeader } from "./chat-header";
import { Composer } from "./composer";
import { COMPOSER_ID, focusComposer } from "./composer-focus";
import { preloadMarkdown } from "./markdown";
import { type CloseReason, Sidebar } from "./sidebar";
import { Transcript } from "./transcript";
import { UndoDelete } from "./undo-delete";
import { useTier } from "./use-tier";

const TURNSTILE_SITE_KEY = import.meta.env.VITE_TURNSTILE_SITE_KEY;
// Only built into its own chunk, and only loaded, when a site key is configured.
const GuestCheck = TURNSTILE_SITE_KEY ? lazy(() => import("./guest-check")) : null;

/** A new guest session cookie from POST /auth/guest; the reason when none was issued. */
async function renewGuestSession(): Promise<string | null> {
  const response = await fetch("/auth/guest", { method: "POST" }).catch(() => null);
  if (!response) return "Cognomega could not be reached.";
  return response.ok ? null : (await problemFrom(response)).message;
}

function blockedReason(data: ChatPageData, sessionProblem: string | null): string | null {
  if (sessionProblem) return `Chat is unavailable: ${sessionProblem}`;
  if (data.session.state === "unavailable") return `Chat is unavailable: ${data.session.message}`;
  if (data.session.state === "deferred") return "Starting your guest session…";
  if (data.session.state === "check-needed") {
    return TURNSTILE_SITE_KEY
      ? "Complete the quick check above to start chatting."
      : "Chat needs a bot check that this site cannot show.";
  }
  return null;
}

export function ChatPage({ data }: { data: ChatPageData }) {
  const revalidator = useRevalidator();
  const [balance, setBalance] = useState(data.balance);
  useEffect(() => setBalance(data.balance), [data.balance]);
  const [tier, setTier] = useTier(data.tiers);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const [uploadsVersion, setUploadsVersion] = useState(0);
  const [sessionProblem, setSessionProblem] = useState<string | null>(null);
  const [removed, setRemoved] = useState<Removed | null>(null);
  const readAloud = useMemo(() => ({ onBalance: setBalance }), []);

  const chat = useChat({
    email: data.email,
    remote: data.account !== null,
    tier,
    onBalance: setBalance,
    onUnbilled: () => data.email && setTimeout(() => revalidator.revalidate(), 500),
    renewSession: async () => (await renewGuestSession()) === null,
  });
  const uploader = useUploader(data.email, data.maxUploadBytes, (upload) => {
    chat.attach({ name: upload.filename, size: upload.size, key: upload.key });
    setUploadsVersion((v) => v + 1);
  });
  const allowance = useGuestAllowance(!data.email, data.session.state === "ready", chat.streaming);

  // The answer renderer is not needed for the first paint; fetch it once the page is up.
  useEffect(() => void preloadMarkdown(), []);

  // The server left the guest token to the page (see chat.server.ts).
  useEffect(() => {
    if (data.session.state !== "deferred") return;
    renewGuestSession().then((problem) => (problem ? setSessionProblem(problem) : revalidator.revalidate()));
  }, [data.session.state, revalidator.revalidate]);

  // Escape stops a streaming answer wherever the focus is.
  useEffect(() => {
    if (!chat.streaming) return;
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && chat.stop();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [chat.streaming, chat.stop]);

  const closeSidebar = (reason: CloseReason) => {
    setSidebarOpen(false);
    // A dismissed drawer gives focus back to its button; a choice moves on to the message box.
    if (reason === "dismissed") requestAnimationFrame(() => toggle.current?.focus());
    else focusComposer();
  };
  const remove = (id: string) => {
    // One undo at a time: an earlier deletion still waiting becomes final.
    if (removed) chat.forget(removed);
    setRemoved(chat.remove(id));
    if (!sidebarOpen) focusComposer();
  };
  const undo = () => {
    if (removed) chat.restore(removed);
    setRemoved(null);
    if (!sidebarOpen) focusComposer();
  };
  const expire = () => {
    if (removed) chat.forget(removed);
    setRemoved(null);
  };
  // Leaving the page ends the undo window: the deletion is final.
  useEffect(() => {
    if (!removed) return;
    const leave = () => chat.forget(removed);
    window.addEventListener("pagehide", leave);
    return () => window.removeEventListener("pagehide", leave);
  }, [removed, chat.forget]);
  const undoBar = <UndoDelete removed={removed} onUndo={undo} onExpire={expire} />;

  const local = data.localUpstream || chat.active?.turns.some((t) => t.role === "assistant" && t.meta?.localUpstream);
  const blocked = blockedReason(data, sessionProblem);
  return (
    <div className="flex h-dvh">
      <a href={`#${COMPOSER_ID}`} className="skip-link">
        Skip to the message box
      </a>
      <Sidebar
        chat={chat}
        open={sidebarOpen}
        onClose={closeSidebar}
        onDelete={remove}
        email={data.email}
        uploadsVersion={uploadsVersion}
        undo={sidebarOpen ? undoBar : null}
      />
      {/* While the phone drawer is open, the chat behind it is out of reach (the drawer is modal). */}
      <div className="flex min-w-0 flex-1 flex-col" inert={sidebarOpen}>
        <ChatHeader
          email={data.email}
          signedIn={data.account !== null}
          buyCredits={data.buyCreditsUrl ? <BuyCredits url={data.buyCreditsUrl} /> : null}
          emailSignIn={data.emailSignIn}
          balance={balance}
          allowance={allowance}
          sidebarOpen={sidebarOpen}
          onToggleSidebar={() => setSidebarOpen((open) => !open)}
          toggleRef={toggle}
        />
        <main id="main" className="flex min-h-0 flex-1 flex-col">
          {local && (
            <p
              role="note"
              className="bg-amber-50 px-4 py-1.5 text-center text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
            >
              Answers come from the <strong>local development model</strong>, a test stand-in that echoes your question
              — not a real LLM.
            </p>
          )}
          {GuestCheck && data.session.state === "check-needed" && (
            <Suspense fallback={null}>
              <GuestCheck siteKey={TURNSTILE_SITE_KEY ?? ""} onPassed={() => revalidator.revalidate()} />
            </Suspense>
          )}
          <Transcript
            chat={chat}
            signedInAs={data.email}
            pricePer1kIn={data.inputPrice}
            readAloud={data.readAloud ? readAloud : null}
          />
          {!sidebarOpen && undoBar}
          {data.email &&
            balance !== null &&
            data.lowBalanceThreshold !== null &&
            balance < data.lowBalanceThreshold && (
              <LowBalanceNotice threshold={data.lowBalanceThreshold} buyCreditsUrl={data.buyCreditsUrl} />
            )}
          <Composer
            chat={chat}
            tiers={data.tiers}
            tierPrices={data.tierPrices}
            tier={tier}
            onTier={setTier}
            uploader={uploader}
            blocked={blocked}
          />
        </main>
      </div>
    </div>
  );
}
