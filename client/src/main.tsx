import { render } from 'preact';
import { App } from './app';
import './style.css';

// A new link pasted into the address bar changes only the fragment: start over with it.
window.addEventListener('hashchange', () => location.reload());

const root = document.getElementById('app');
if (root) {
  // Drop the static "Loading" placeholder: render() keeps existing children.
  root.textContent = '';
  render(<App />, root);
}
