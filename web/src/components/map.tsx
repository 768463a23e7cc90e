// SPDX-License-Identifier: MIT
// The map: Leaflet with no background tiles by default (it works at a
// station with no internet), the GeoJSON layers the server serves, a layer
// switcher and click-for-details popups. A tile URL set in Cài đặt (stored
// in localStorage "bp.tiles") adds a background where there is internet.
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import iconUrl from 'leaflet/dist/images/marker-icon.png';
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png';
import shadowUrl from 'leaflet/dist/images/marker-shadow.png';
import { useEffect, useRef } from 'preact/hooks';
import { tr } from '../i18n';

L.Icon.Default.mergeOptions({ iconUrl, iconRetinaUrl, shadowUrl });
// Leaflet guesses the image path from its CSS; the bundled URLs above are used instead.
(L.Icon.Default.prototype as unknown as { _getIconUrl?: unknown })._getIconUrl = undefined;
delete (L.Icon.Default.prototype as unknown as { _getIconUrl?: unknown })._getIconUrl;

export interface MapLayer {
  id: string;
  label: string;
  data: GeoJSON.GeoJsonObject | null;
  style?: L.PathOptions | ((f?: GeoJSON.Feature) => L.PathOptions);
  point?: (f: GeoJSON.Feature, ll: L.LatLng) => L.Layer;
  popup?: (f: GeoJSON.Feature) => string | HTMLElement | null;
  on?: boolean; // shown at first (default true)
  fit?: boolean; // fit the view to it
}

export function tileUrl(): string {
  try {
    return localStorage.getItem('bp.tiles') ?? '';
  } catch {
    return '';
  }
}

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function MapView({ layers, height, testid }: { layers: MapLayer[]; height?: string; testid?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const control = useRef<L.Control.Layers | null>(null);
  const drawn = useRef<L.Layer[]>([]);
  const fitted = useRef(false);

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { preferCanvas: false, zoomSnap: 0.25, attributionControl: true });
    m.attributionControl.setPrefix('Leaflet');
    const url = tileUrl();
    if (url) L.tileLayer(url, { maxZoom: 18 }).addTo(m);
    m.setView([21.9, 106.8], 9);
    L.control.scale({ imperial: false }).addTo(m);
    // labels of markers and km ticks only when zoomed in enough to read them
    const zoomClass = () => {
      el.current?.classList.toggle('bp-zoom-low', m.getZoom() < 11);
      el.current?.classList.toggle('bp-zoom-mid', m.getZoom() < 13);
    };
    m.on('zoomend', zoomClass);
    zoomClass();
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    drawn.current.forEach((l) => m.removeLayer(l));
    drawn.current = [];
    control.current?.remove();
    const overlays: Record<string, L.Layer> = {};
    let bounds: L.LatLngBounds | null = null;
    for (const ly of layers) {
      if (!ly.data) continue;
      const g = L.geoJSON(ly.data as GeoJSON.GeoJsonObject, {
        style: ly.style as L.StyleFunction,
        pointToLayer: ly.point ?? ((_f, ll) => L.circleMarker(ll, { radius: 4 })),
        onEachFeature: (f, layer) => {
          if (ly.popup) {
            const p = ly.popup(f);
            if (p) layer.bindPopup(p);
          }
        },
      });
      if (ly.on !== false) g.addTo(m);
      drawn.current.push(g);
      overlays[ly.label] = g;
      if (ly.fit) {
        const b = g.getBounds();
        if (b.isValid()) bounds = bounds ? bounds.extend(b) : b;
      }
    }
    control.current = L.control.layers(undefined, overlays, { collapsed: window.innerWidth < 700 }).addTo(m);
    if (bounds && !fitted.current) {
      m.fitBounds(bounds, { padding: [16, 16] });
      fitted.current = true;
    }
  }, [layers]);

  return (
    <div
      class="map"
      ref={el}
      style={{ height: height ?? '70vh' }}
      data-testid={testid ?? 'map'}
      role="region"
      aria-label={tr('Bản đồ tuyến biên giới', 'Map of the border')}
    />
  );
}
