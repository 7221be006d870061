import { type FormEvent, useState } from 'react';
import type { Drill } from '../../../src/contract/drills.ts';
import { api } from '../shared/api.ts';
import { useAction } from '../shared/use-action.ts';
import { DrillConditionsFields } from './DrillConditionsFields.tsx';
import { conditionsOf, fieldsOf } from './drill-conditions.ts';

interface Props {
  drill: Drill;
  /** The drill as scored again with the new conditions. */
  onSaved: (drill: Drill) => void;
  onClose: () => void;
}

/** A leader corrects a drill's conditions, tolerance or find radius; the server scores it again. */
export function DrillEditForm({ drill, onSaved, onClose }: Props) {
  const [fields, setFields] = useState(() => fieldsOf(drill));
  const { busy, error, run } = useAction();
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    const body = {
      conditions: conditionsOf(fields),
      toleranceM: Number(fields.toleranceM),
      findRadiusM: Number(fields.findRadiusM),
    };
    const saved = await run(() => api<Drill>(`/api/drills/${drill.operation.id}`, { method: 'PATCH', body }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="form drill-form" data-testid="drill-edit-form" onSubmit={submit}>
      <h3>Conditions and scoring</h3>
      <DrillConditionsFields fields={fields} onChange={setFields} />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="inline-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save and score again
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
