// Starts the lab: imports the wasm-bindgen module and instantiates the WebAssembly binary that
// Trunk named on this script's data attributes. It is a file of its own, not an inline script,
// so the page's Content-Security-Policy allows scripts from the lab's own origin only.
const tag = document.querySelector('script[data-lab-js]');
try {
  const { default: init } = await import(tag.dataset.labJs);
  await init({ module_or_path: tag.dataset.labWasm });
  // Once the lab runs, a service worker keeps it for offline use (static/sw.js). Browsers
  // allow one only on https or localhost; elsewhere the lab simply needs the network.
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn(`EKS Lab works without offline use here: ${e}`));
  }
} catch (e) {
  const panel = document.getElementById('fatal');
  // A panic has already said what went wrong in the panel (the lab's panic hook); keep that.
  if (panel && panel.hidden) {
    panel.textContent = `EKS Lab could not start in this browser: ${e}. It needs a browser with WebAssembly and JavaScript modules.`;
    panel.hidden = false;
  }
  throw e;
}
