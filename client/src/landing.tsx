import { render } from 'preact';
import { PasteLink } from './app';
import './style.css';

function Landing() {
  return (
    <main class="page">
      <section class="card">
        <h1>Pecking Order</h1>
        <p>A social game of alliances, silver and votes. Each player joins with the personal link the host sends them.</p>
        <p>
          To try it on this machine, run <code>make demo</code>: it starts a game with bots and prints your link.
        </p>
      </section>
      <PasteLink intro="Open your player link:" />
    </main>
  );
}

const root = document.getElementById('app');
if (root) {
  // Drop the static "Loading" placeholder: render() keeps existing children.
  root.textContent = '';
  render(<Landing />, root);
}
