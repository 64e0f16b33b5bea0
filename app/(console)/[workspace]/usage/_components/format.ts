// Number formats shared by the usage page.
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const usd = (n: number) => (n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(2)}`);
export const compact = (n: number) => Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);
