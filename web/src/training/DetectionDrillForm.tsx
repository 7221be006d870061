import { type FormEvent, useState } from 'react';
import type { CreateDetectionDrillBody, DetectionDrill } from '../../../src/contract/detection-drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { DetectionObjectsFields, type ObjectField, objectsOf } from './DetectionObjectsFields.tsx';

import { participantLabel } from './drill-format.ts';

interface Props {
  members: readonly Member[];
  onCreated: (drill: DetectionDrill) => void;
  onClose: () => void;
}

/** Plan a detection drill: the resource type it measures, its searchers and the objects placed. */
export function DetectionDrillForm({ members, onCreated, onClose }: Props) {
  const [name, setName] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [searcherIds, setSearcherIds] = useState<string[]>([]);
  const [objects, setObjects] = useState<ObjectField[]>([{ label: '', lat: '', lon: '' }]);
  const [binM, setBinM] = useState('5');
  const { busy, error, run } = useAction();

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body: CreateDetectionDrillBody = {
      name: name.trim(),
      resourceType: resourceType.trim(),
      searcherIds,
      objects: objectsOf(objects),
      binM: Number(binM),
    };
    const drill = await run(() => api<DetectionDrill>('/api/detection-drills', { method: 'POST', body }));
    if (drill) onCreated(drill);
  };

  return (
    <form className="form drill-form" data-testid="detection-drill-form" onSubmit={submit}>
      <h3>New detection drill</h3>
      <div className="drill-form-grid">
        <label>
          Name
          <input
            name="name"
            required
            maxLength={120}
            value={name}
            onChange={(ev) => setName(ev.target.value)}
          />
        </label>
        <label>
          Resource type
          <input
            name="resourceType"
            required
            maxLength={40}
            placeholder="e.g. grid ground"
            value={resourceType}
            onChange={(ev) => setResourceType(ev.target.value)}
          />
        </label>
        <label>
          Bin width (m)
          <input
            name="binM"
            type="number"
            min={1}
            max={500}
            step="any"
            value={binM}
            onChange={(ev) => setBinM(ev.target.value)}
          />
        </label>
      </div>
      <fieldset className="drill-trackers">
        <legend>Searchers</legend>
        {members.map((m) => (
          <label key={m.id} className="check">
            <input
              type="checkbox"
              name={`searcher-${m.callsign}`}
              checked={searcherIds.includes(m.id)}
              onChange={(ev) =>
                setSearcherIds(
                  ev.target.checked ? [...searcherIds, m.id] : searcherIds.filter((x) => x !== m.id),
                )
              }
            />
            {participantLabel(m)}
          </label>
        ))}
      </fieldset>
      <DetectionObjectsFields objects={objects} onChange={setObjects} />
      {error && <p className="form-error">{error}</p>}
      <div className="inline-actions">
        <button type="submit" className="primary" disabled={busy || searcherIds.length === 0}>
          Plan drill
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
