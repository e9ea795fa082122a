/**
 * The page: a hash router over four views. Each view renders into <main> and may return
 * a cleanup (stop polling, destroy a diagram) that runs when the route changes.
 *
 *   #/definitions[/<key>]   #/instances?definition=&status=&businessKey=   #/instances/<id>   #/tasks?group=&assignee=
 */
import './styles.css';
import { getToken, setToken } from './api.ts';
import { errorBox, h } from './dom.ts';
import { definitionsView } from './views/definitions.ts';
import { instanceView } from './views/instance.ts';
import { instancesView } from './views/instances.ts';
import { tasksView } from './views/tasks.ts';

export type Cleanup = () => void;
export interface Route { path: string[]; query: URLSearchParams }

const main = document.getElementById('main') as HTMLElement;
let cleanup: Cleanup | void;

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

function render(): void {
  cleanup?.();
  cleanup = undefined;
  main.replaceChildren();
  const route = parseHash(location.hash);
  const [section = 'instances', id] = route.path;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset['nav'] === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  try {
    if (section === 'definitions') cleanup = definitionsView(main, id);
    else if (section === 'instances' && id) cleanup = instanceView(main, id);
    else if (section === 'instances') cleanup = instancesView(main, route.query);
    else if (section === 'tasks') cleanup = tasksView(main, route.query);
    else main.append(errorBox(`no page '${section}'`, 'Not found.'), h('a', { href: '#/instances' }, 'Go to the instances'));
  } catch (error) {
    main.append(errorBox(error));
  }
}

function tokenDialog(): void {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', value: getToken() });
  const dialog = h('dialog', { class: 'token-dialog', 'aria-labelledby': 'token-title' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'token-title' }, 'API token'),
      h('p', {}, 'Sent as "Authorization: Bearer <token>" with every API call. Empty: none. Kept in this browser only.'),
      h('label', { for: 'token' }, 'Token'), input,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'save' }, 'Save'),
        h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, 'Cancel'))));
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'save') { setToken(input.value.trim()); render(); }
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
}

// The skip link must not touch the hash (the router owns it).
document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
document.getElementById('token-button')?.addEventListener('click', tokenDialog);
window.addEventListener('hashchange', render);
if (!location.hash) history.replaceState(null, '', '#/instances');
render();
