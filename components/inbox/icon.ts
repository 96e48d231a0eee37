/** Threadline's mark for host app bars: a thread curling into a check, in the panels' accent blue. */
export const ICON_URL = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M4 12c0-4.4 3.6-8 8-8s8 3.6 8 8-3.6 8-8 8" fill="none" stroke="#0b57d0" stroke-width="2.4" stroke-linecap="round"/><path d="M8 12.5l3 3 5-6" fill="none" stroke="#0b57d0" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
)}`;
