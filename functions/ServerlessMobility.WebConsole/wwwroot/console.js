// Small helpers the console calls through JS interop.
window.smConsole = {
  // The service worker's offline copies of API answers belong to whoever was signed in: dropped at sign-out.
  forgetOfflineCopies: async () => {
    if ('caches' in window) {
      await caches.delete('sm-console-api');
    }
  },
};

// Offline reading (docs/console.md): registered from this file, not inline, so the Content-Security-Policy can forbid inline scripts.
navigator.serviceWorker?.register('service-worker.js');
