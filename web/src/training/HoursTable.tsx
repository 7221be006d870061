import type { Readiness } from '../../../src/contract/training.ts';

interface Props {
  hours: Readiness['hours'];
  from: string;
  to: string;
  onRange: (from: string, to: string) => void;
}

const fmt = (h: number) => (h === 0 ? '·' : h.toFixed(1));

/** Hours per member per month, with the same range as a CSV download for grant and hour reports. */
export function HoursTable({ hours, from, to, onRange }: Props) {
  const csv = `/api/readiness/hours.csv?${new URLSearchParams({ from, to })}`;
  const totals = hours.months.map((_, i) => hours.rows.reduce((sum, r) => sum + (r.hours[i] ?? 0), 0));
  return (
    <div>
      <div className="hours-controls">
        <label>
          From{' '}
          <input
            type="month"
            value={from}
            max={to}
            onChange={(ev) => ev.target.value && onRange(ev.target.value, to)}
          />
        </label>
        <label>
          to{' '}
          <input
            type="month"
            value={to}
            min={from}
            onChange={(ev) => ev.target.value && onRange(from, ev.target.value)}
          />
        </label>
        <a className="button-link" href={csv} download data-testid="hours-csv">
          Download CSV
        </a>
      </div>
      <div className="table-scroll">
        <table className="records-table hours-table" data-testid="hours-table">
          <thead>
            <tr>
              <th scope="col">Member</th>
              {hours.months.map((m) => (
                <th key={m} scope="col" className="num">
                  {m}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {hours.rows.map((r) => (
              <tr key={r.memberId} data-testid="hours-row" data-callsign={r.callsign}>
                <th scope="row">{r.callsign}</th>
                {r.hours.map((h, i) => (
                  <td key={hours.months[i]} className="num">
                    {fmt(h)}
                  </td>
                ))}
                <td className="num total" data-testid={`hours-total-${r.callsign}`}>
                  {r.total.toFixed(1)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Team</th>
              {totals.map((t, i) => (
                <td key={hours.months[i]} className="num">
                  {fmt(Math.round(t * 100) / 100)}
                </td>
              ))}
              <td className="num total">{totals.reduce((a, b) => a + b, 0).toFixed(1)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
