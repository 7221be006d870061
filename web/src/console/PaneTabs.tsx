export type Pane = 'map' | 'members' | 'ops';

const PANES: ReadonlyArray<{ id: Pane; label: string }> = [
  { id: 'map', label: 'Map' },
  { id: 'members', label: 'Members' },
  { id: 'ops', label: 'Operation & alerts' },
];

/** On a narrow screen (CSS shows it only there): the map, the members and the operations panel as tabs. */
export function PaneTabs({
  pane,
  onPane,
  hidden,
  alerts,
}: {
  pane: Pane;
  onPane: (p: Pane) => void;
  hidden: boolean;
  alerts: number;
}) {
  return (
    <nav className="pane-tabs" aria-label="Panels" hidden={hidden}>
      {PANES.map((p) => (
        <button
          key={p.id}
          type="button"
          aria-pressed={pane === p.id}
          onClick={() => onPane(p.id)}
          data-testid={`pane-${p.id}`}
        >
          {p.label}
          {p.id === 'ops' && alerts > 0 && <span className="pane-badge">{alerts}</span>}
        </button>
      ))}
    </nav>
  );
}
