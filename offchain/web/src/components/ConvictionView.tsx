// Conviction a member can see: its share of the threshold, a chart of where it goes if the stake stays as it is
// (computed here with conviction-voting's own fixed-point maths, model/conviction.ts), the block and time it would
// pass, and what the threshold is made of, so a moving threshold has a reason on the page.
import type { Proposal, ProposalStatus } from "../stacks/types.ts";
import type { ConvictionState } from "../stacks/types.ts";
import { formatDuration, formatGt, formatInteger, ratioPercent } from "../model/amounts.ts";
import { blocksToPass, convictionLimit, convictionSeries } from "../model/conviction.ts";
import { describeErrorCode } from "../model/tx-result.ts";
import { useLoad } from "../hooks.ts";
import { href } from "../routes.ts";
import { useSession } from "../session.tsx";
import { lastSupportChange, type SupportChange } from "../stacks/events.ts";
import { Principal } from "./common.tsx";

const WIDTH = 320;
const HEIGHT = 140;
const PAD = 6;

function Chart({ series, threshold }: { series: { t: bigint; conviction: bigint }[]; threshold: bigint }) {
  const top = [threshold, ...series.map((p) => p.conviction)].reduce((a, b) => (b > a ? b : a), 1n);
  const last = series.at(-1)?.t ?? 1n;
  const x = (t: bigint): number => PAD + (Number((t * 10_000n) / (last || 1n)) / 10_000) * (WIDTH - 2 * PAD);
  const y = (v: bigint): number => HEIGHT - PAD - (Number((v * 10_000n) / top) / 10_000) * (HEIGHT - 2 * PAD);
  const line = series.map((p) => `${x(p.t).toFixed(1)},${y(p.conviction).toFixed(1)}`).join(" ");
  return (
    <svg
      className="conviction-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`conviction over the next ${last} burn blocks at the current stake, against the threshold`}
    >
      <rect x="0" y="0" width={WIDTH} height={HEIGHT} fill="#fff" stroke="#e4e4e0" />
      <line x1={PAD} x2={WIDTH - PAD} y1={y(threshold)} y2={y(threshold)} stroke="#b42318" strokeDasharray="4 3" />
      <polyline points={line} fill="none" stroke="#f7931a" strokeWidth="2" />
      <text x={PAD + 2} y={Math.max(12, y(threshold) - 3)} fontSize="10" fill="#b42318">
        threshold
      </text>
      <text x={WIDTH - PAD - 2} y={HEIGHT - PAD - 2} fontSize="10" fill="#6b6f76" textAnchor="end">
        +{String(last)} burn blocks
      </text>
    </svg>
  );
}

export function ConvictionView({
  state,
  status,
}: {
  proposal: Proposal;
  state: ConvictionState;
  status: ProposalStatus;
}) {
  const { tip, burnBlockSeconds, reads } = useSession();
  // the same event log the stakers list reads, so no extra request in a tip
  const moved = useLoad(
    async () => lastSupportChange(await reads.events("conviction-voting")),
    [reads, tip?.stacksHeight],
  );
  const { conviction, threshold, totalStake, totalStaked, params } = state;
  if (!threshold.ok)
    return <p className="error">This request cannot pass as things stand: {describeErrorCode(threshold.code)}</p>;
  const share = ratioPercent(conviction, threshold.value);
  const open = status === "active" || status === "pending";
  const passIn = params && open ? blocksToPass(conviction, totalStake, params.decay, threshold.value) : null;
  const span = passIn !== null && passIn > 0n ? (passIn * 5n) / 4n + 1n : params ? halfLives(params.decay) : 0n;
  const series = params && open && span > 0n ? convictionSeries(conviction, totalStake, params.decay, span) : [];
  const burn = tip ? BigInt(tip.burnHeight) : null;
  const floor = params ? params.minStake : 0n;
  return (
    <section className="panel conviction-view" aria-label="conviction">
      <h3>Conviction</h3>
      <p>
        <strong role="status" aria-label="conviction share">
          {share.toFixed(1)}%
        </strong>{" "}
        of the threshold{" "}
        <small
          title={
            `conviction ${formatInteger(conviction)} / threshold ${formatInteger(threshold.value)} ` +
            "(GT base units × burn blocks, decayed)"
          }
        >
          (hover for the raw figures)
        </small>
        ; {formatGt(totalStake)} GT staked here.
      </p>
      {series.length > 0 ? <Chart series={series} threshold={threshold.value} /> : null}
      {open && params ? (
        <p role="status" aria-label="conviction estimate">
          {passIn === 0n
            ? "It has reached its threshold."
            : passIn !== null && burn !== null
              ? `At the current stake it passes at burn block ${formatInteger(burn + passIn)}, ` +
                `in ${formatInteger(passIn)} blocks (about ${formatDuration(Number(passIn) * burnBlockSeconds)}).`
              : totalStake === 0n
                ? "Nothing is staked: conviction only decays."
                : "At the current stake it never reaches the threshold: it levels off at " +
                  `${ratioPercent(convictionLimit(totalStake, params.decay), threshold.value).toFixed(1)}% of it.`}
        </p>
      ) : null}
      {params ? (
        <p className="hint" role="note" aria-label="threshold reason">
          The threshold grows with S, the GT staked on all open conviction proposals, never counted below this
          proposal&apos;s floor of {formatGt(floor)} GT (a share of the GT supply when it was made).{" "}
          {totalStaked > floor
            ? `S is ${formatGt(totalStaked)} GT now, so any stake or unstake on an open proposal moves it.`
            : `S is at the floor (${formatGt(totalStaked)} GT staked in all), ` +
              `so stakes move it only once they pass ${formatGt(floor)} GT.`}
          {params.requested > 0n
            ? ` It asks for ${formatInteger(params.requested)} of a pool of ${formatInteger(params.poolAmount)}; ` +
              "the closer that share is to the maximum, the higher the threshold."
            : ""}
          {totalStaked > floor && moved.data ? <LastMove change={moved.data} /> : null}
          {params.minSupporters > 1n ? ` It needs ${params.minSupporters} stakers (now ${params.supporters}).` : ""}
        </p>
      ) : null}
    </section>
  );
}

/** The last stake change that moved S, so a threshold that jumped has a visible cause. */
function LastMove({ change }: { change: SupportChange }) {
  return (
    <span role="note" aria-label="last threshold move">
      {" "}
      It last moved when{" "}
      {change.kind === "closed" ? (
        <>
          proposal <a href={href.proposal(change.id)}>#{String(change.id)}</a> closed, releasing{" "}
          {formatGt(change.released)} GT of stake.
        </>
      ) : (
        <>
          <Principal value={change.who} /> {change.delta > 0n ? "staked" : "unstaked"}{" "}
          {formatGt(change.delta > 0n ? change.delta : -change.delta)} GT on{" "}
          <a href={href.proposal(change.id)}>#{String(change.id)}</a>.
        </>
      )}
    </span>
  );
}

/** About three half-lives of the decay: where a constant stake's conviction has come within 1/8 of its limit. */
function halfLives(decay: bigint): bigint {
  const a = Number(decay) / 1e12;
  return BigInt(Math.min(100_000, Math.max(20, Math.ceil((3 * Math.log(0.5)) / Math.log(a)))));
}
