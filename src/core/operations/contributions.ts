/** package.json's part for the operations, derived from the table (surface.ts): the commands and their tree menus. */
import { SURFACES, whenClause } from './surface';

export interface CommandContribution {
  readonly command: string;
  readonly title: string;
  readonly category: 'Pacemaker';
  readonly icon?: string;
}

export interface MenuContribution {
  readonly command: string;
  readonly when: string;
  readonly group: string;
}

export function operationContributions(): { commands: CommandContribution[]; menus: MenuContribution[] } {
  const commands: CommandContribution[] = [];
  const menus: MenuContribution[] = [];
  for (const s of Object.values(SURFACES)) {
    for (const c of s.commands) {
      commands.push({ command: c.id, title: c.title, category: 'Pacemaker', ...(c.icon ? { icon: c.icon } : {}) });
      for (const m of c.menus) menus.push({ command: c.id, when: whenClause(m), group: m.group });
    }
  }
  return { commands, menus };
}
