// Percentiles from raw samples: a sorted Float64Array is exact and cheap enough for the ≤ 100k samples of one phase.

/** Summarise `count` samples (µs) from `samples`; percentiles use the nearest-rank method. */
export function summarize(samples, count = samples.length) {
  if (count === 0) return { count: 0, p50: null, p90: null, p99: null, p999: null, max: null, mean: null };
  const sorted = Float64Array.from(samples.subarray ? samples.subarray(0, count) : samples.slice(0, count)).sort();
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  const at = (q) => round(sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]);
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: round(sorted[count - 1]), mean: round(sum / count) };
}

function round(us) {
  return Math.round(us * 10) / 10;
}
