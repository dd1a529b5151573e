import { render } from 'preact';
import { App } from './app';
import './style.css';

const root = document.getElementById('app');
if (root) {
  // Drop the static "Loading" placeholder: render() keeps existing children.
  root.textContent = '';
  render(<App />, root);
}
