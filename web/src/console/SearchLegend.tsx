import { COLOURING_LABEL, legendStops, type SearchColouring } from './search-view.ts';

/** What the segments' colours mean: the measure and its scale from 0 to 100 %. */
export function SearchLegend({ colouring }: { colouring: SearchColouring }) {
  const stops = legendStops(colouring);
  return (
    <div className="search-legend" data-testid="search-legend">
      <strong>{COLOURING_LABEL[colouring]}</strong>
      <span
        className="search-legend-bar"
        style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }}
      />
      <span className="search-legend-scale">
        <span>0 %</span>
        <span>50 %</span>
        <span>100 %</span>
      </span>
    </div>
  );
}
