import { render } from 'preact';
import { Operator } from './app';
import '../style.css';
import './operator.css';

const root = document.getElementById('app');
if (root) {
  // Drop the static "Loading" placeholder: render() keeps existing children.
  root.textContent = '';
  render(<Operator />, root);
}
