// Small helpers the console calls through JS interop.
window.smConsole = {
  // The service worker's offline copies of API answers belong to whoever was signed in: dropped at sign-out.
  forgetOfflineCopies: async () => {
    if ('caches' in window) {
      await caches.delete('sm-console-api');
    }
  },
  // The live vehicles' map (Vehicles/LiveVehicles.razor): no tiles can be fetched, so positions are projected onto the
  // canvas (equirectangular, scaled by the cosine of the middle latitude) and zones drawn as circles or polygons.
  // The table next to it is the text alternative; the canvas only repeats it.
  drawVehicleMap: (canvasId, data) => {
    const canvas = document.getElementById(canvasId);
    if (!canvas) {
      return;
    }
    const ctx = canvas.getContext('2d');
    const style = getComputedStyle(document.documentElement);
    const colour = name => style.getPropertyValue(name).trim() || '#1a1a1a';
    const width = canvas.width;
    const height = canvas.height;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = colour('--muted-background');
    ctx.fillRect(0, 0, width, height);
    const vehicles = data.vehicles ?? [];
    if (vehicles.length === 0) {
      return;
    }

    // The view fits the vehicles (at least about 2 km across); zones larger than it are drawn as far as they reach.
    const lats = vehicles.map(v => v.lat);
    const lons = vehicles.map(v => v.lon);
    const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
    const midLon = (Math.min(...lons) + Math.max(...lons)) / 2;
    const cos = Math.max(Math.cos(midLat * Math.PI / 180), 0.01);
    const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 0.02) * 1.3;
    const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * cos, 0.02) * 1.3;
    const scale = Math.min(width / spanX, height / spanY);
    const x = lon => width / 2 + (lon - midLon) * cos * scale;
    const y = lat => height / 2 - (lat - midLat) * scale;
    const metresPerDegree = 111320;

    ctx.lineWidth = 2;
    for (const zone of data.geofences ?? []) {
      ctx.strokeStyle = zone.kind === 'Forbidden' ? colour('--danger') : colour('--accent');
      ctx.setLineDash(zone.kind === 'Forbidden' ? [8, 4] : []);
      ctx.beginPath();
      if (zone.center && zone.radiusMeters) {
        ctx.arc(x(zone.center.lon), y(zone.center.lat), zone.radiusMeters / metresPerDegree * scale, 0, 2 * Math.PI);
      } else if (zone.polygon?.length) {
        zone.polygon.forEach((p, i) => i === 0 ? ctx.moveTo(x(p.lon), y(p.lat)) : ctx.lineTo(x(p.lon), y(p.lat)));
        ctx.closePath();
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);

    ctx.font = '14px system-ui, sans-serif';
    for (const v of vehicles) {
      const px = x(v.lon);
      const py = y(v.lat);
      ctx.fillStyle = v.speedKmh > 0 ? colour('--accent') : colour('--text');
      ctx.beginPath();
      ctx.arc(px, py, 7, 0, 2 * Math.PI);
      ctx.fill();
      if (v.speedKmh > 0) {
        // The heading, clockwise from north.
        const a = (v.heading ?? 0) * Math.PI / 180;
        ctx.strokeStyle = colour('--accent');
        ctx.beginPath();
        ctx.moveTo(px, py);
        ctx.lineTo(px + Math.sin(a) * 22, py - Math.cos(a) * 22);
        ctx.stroke();
      }
      ctx.fillStyle = colour('--text');
      ctx.fillText(v.label, px + 10, py - 10);
    }
  },
};

// Offline reading (docs/console.md): registered from this file, not inline, so the Content-Security-Policy can forbid inline scripts.
navigator.serviceWorker?.register('service-worker.js');
