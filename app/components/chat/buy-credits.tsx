// Stripe top-ups in the chat: "Buy credits" opens the operator's Payment Link naming the account
// (client_reference_id) with the email prefilled; the quiet notice under LOW_BALANCE_THRESHOLD.

export function BuyCredits({ url }: { url: string }) {
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className="btn-outline px-2 py-1 text-sm">
      Buy credits
    </a>
  );
}

export function LowBalanceNotice({ threshold, buyCreditsUrl }: { threshold: number; buyCreditsUrl: string | null }) {
  return (
    <p role="note" data-testid="low-balance" className="muted px-4 py-1 text-center text-sm">
      Your balance is below {threshold} credits.
      {buyCreditsUrl && (
        <>
          {" "}
          <a href={buyCreditsUrl} target="_blank" rel="noopener noreferrer" className="underline">
            Buy credits
          </a>
        </>
      )}
    </p>
  );
}
