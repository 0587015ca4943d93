/*
 * app.js: the demo shop's page script.
 *
 * On the client-rendered catalogue (/app, the page with <main id="app">) it fetches
 * /api/products, renders the list with an "add to cart" and a "trigger error" button, and
 * marks the page ready (document.body.dataset.ready = "true"). On the server-rendered pages it
 * wires the server's #add-to-cart button (data-product="<id>").
 *
 * Its fetches go through rum.js's instrumented fetch, so each gets a client span and a
 * traceparent header. "Add to cart" pushes a custom event (swiftRUM.pushEvent) and POSTs
 * /api/cart; "trigger error" throws an uncaught TypeError from renderBrokenWidget(), which
 * rum.js reports as an exception with its stack.
 */
(() => {
  'use strict';

  /** Throws, as a widget with a missing configuration would; called on purpose by #trigger-error. */
  function renderBrokenWidget() {
    throw new TypeError('widget configuration missing');
  }

  /** Records the add-to-cart event and posts the product to /api/cart; `status` tells the user. */
  async function addToCart(productId, status) {
    if (window.swiftRUM) window.swiftRUM.pushEvent('add_to_cart', { product_id: String(productId) }, 'shop');
    const response = await fetch('/api/cart', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ productId }),
    });
    if (!response.ok) throw new Error(`POST /api/cart answered ${response.status}`);
    status.textContent = 'Added to the cart.';
  }

  function wireAddToCart(button, productId, status) {
    button.addEventListener('click', () => {
      addToCart(productId, status).catch((error) => {
        status.textContent = 'Could not add to the cart.';
        console.error('add to cart failed:', error);
      });
    });
  }

  function element(tag, properties = {}, children = []) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  }

  /** The catalogue list, the two buttons and a status line, into `main`. */
  function renderCatalogue(main, products) {
    const status = element('p', { id: 'status' });
    const list = element(
      'ul',
      { id: 'products' },
      products.map((product) =>
        element('li', {}, [
          element('a', { href: `/products/${product.id}`, textContent: product.name }),
          ' ',
          element('span', { className: 'price', textContent: product.price }),
        ]),
      ),
    );
    const children = [list];
    const first = products[0];
    if (first) {
      const addButton = element('button', { id: 'add-to-cart', textContent: `Add ${first.name} to the cart` });
      addButton.dataset.product = String(first.id);
      wireAddToCart(addButton, first.id, status);
      children.push(addButton);
    }
    const errorButton = element('button', { id: 'trigger-error', textContent: 'Render the broken widget' });
    errorButton.addEventListener('click', function onTriggerErrorClick() {
      renderBrokenWidget();
    });
    children.push(errorButton, status);
    main.replaceChildren(...children);
  }

  async function startCatalogue(main) {
    try {
      const response = await fetch('/api/products', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`GET /api/products answered ${response.status}`);
      renderCatalogue(main, await response.json());
      document.body.dataset.ready = 'true';
    } catch (error) {
      main.replaceChildren(element('p', { textContent: 'The catalogue could not be loaded.' }));
      console.error('catalogue failed to load:', error);
    }
  }

  function start() {
    const main = document.getElementById('app');
    if (main) {
      startCatalogue(main);
      return;
    }
    const button = document.getElementById('add-to-cart');
    if (button && button.dataset.product) {
      const status = element('p', { id: 'status' });
      button.after(status);
      wireAddToCart(button, Number(button.dataset.product), status);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
