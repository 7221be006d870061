import type { DetectionFit } from '../../../src/contract/detection-drills.ts';

/** The lateral range curve: the share detected in each distance bin, as bars, with the fitted sweep width. */
export function LateralRangeChart({ fit }: { fit: DetectionFit }) {
  return (
    <figure className="lateral-range" data-testid="lateral-range">
      <figcaption>
        Effective sweep width <strong data-testid="sweep-width">W = {fit.sweepWidthM.toFixed(1)} m</strong>
        <span className="muted">
          {' '}
          from {fit.trials} trials: 2 × the detected share of each {fit.binM} m bin × {fit.binM} m
        </span>
      </figcaption>
      <div className="lateral-range-bars" role="img" aria-label="detected share by distance from the track">
        {fit.bins.map((b) => {
          const share = b.trials > 0 ? b.detected / b.trials : null;
          return (
            <div key={b.fromM} className="lateral-range-bin">
              <span className="lateral-range-value">
                {share === null ? '—' : `${Math.round(share * 100)}%`}
              </span>
              <div className="lateral-range-track">
                <div
                  className={share === null ? 'lateral-range-bar empty' : 'lateral-range-bar'}
                  style={{ height: `${(share ?? 0) * 100}%` }}
                />
              </div>
              <span className="lateral-range-axis">
                {b.fromM}–{b.toM} m
              </span>
              <span className="muted lateral-range-n">
                {b.detected}/{b.trials}
              </span>
            </div>
          );
        })}
      </div>
    </figure>
  );
}
