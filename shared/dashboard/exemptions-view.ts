/** The exemptions: what is suppressed, why, by whose approval, until when; active ones can be withdrawn. */
import type { ApiClient } from './api-client';
import type { ExemptionView } from '../app/api/contract';
import { badge, byId, clear, el, timeEl } from './dom';

export interface ExemptionsViewDeps {
  api: () => ApiClient;
  fail: (error: unknown) => void;
  announce: (message: string) => void;
  changed: () => void;
}

export class ExemptionsView {
  private readonly body = byId<HTMLTableSectionElement>('exemptions-body');

  constructor(private readonly deps: ExemptionsViewDeps) {}

  async load(): Promise<void> {
    try {
      const exemptions = await this.deps.api().exemptions();
      clear(this.body);
      if (exemptions.length === 0) {
        this.body.append(el('tr', {}, [el('td', { attrs: { colspan: 8 }, text: 'No exemptions. Create one from a finding’s detail.' })]));
      }
      for (const exemption of exemptions) this.body.append(this.row(exemption));
    } catch (error) {
      this.deps.fail(error);
    }
  }

  private row(exemption: ExemptionView): HTMLTableRowElement {
    const state = exemption.state ?? 'active';
    let action: HTMLElement | null = null;
    if (state === 'active') {
      const withdraw = el('button', {
        className: 'secondary',
        text: 'Withdraw',
        attrs: { type: 'button', 'aria-label': `Withdraw exemption ${exemption.id}` },
      });
      withdraw.addEventListener('click', () => {
        if (!window.confirm(`Withdraw exemption ${exemption.id}? The findings it suppresses reopen.`)) return;
        withdraw.disabled = true;
        this.deps
          .api()
          .deleteExemption(exemption.id)
          .then((result) => {
            this.deps.announce(
              `ExemptionView ${exemption.id} withdrawn: ${result.reopened} finding${result.reopened === 1 ? '' : 's'} reopened.`,
            );
            this.deps.changed();
            return this.load();
          })
          .catch((error: unknown) => {
            withdraw.disabled = false;
            this.deps.fail(error);
          });
      });
      action = withdraw;
    }
    return el('tr', { attrs: { 'data-exemption-id': exemption.id } }, [
      el('th', { className: 'mono', text: exemption.id, attrs: { scope: 'row' } }),
      el('td', {}, [badge('state', state)]),
      el('td', { className: 'mono', text: exemption.controlId }),
      el('td', {
        className: 'mono',
        text: exemption.accounts && exemption.accounts.length > 0 ? exemption.accounts.join(', ') : 'every account',
      }),
      el('td', { className: 'mono', text: exemption.resourcePattern ?? 'every resource' }),
      el('td', {}, [
        el('p', { className: 'cell-text', text: exemption.reason }),
        el('p', {
          className: 'muted',
          text: `approved by ${exemption.approver}${exemption.createdBy ? `, created by ${exemption.createdBy}` : ''}`,
        }),
      ]),
      el('td', {}, [timeEl(exemption.expiresAt)]),
      el('td', {}, [action]),
    ]);
  }
}
