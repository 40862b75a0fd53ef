// Initials on a colour picked from the id, so a person or community looks the same on every screen.
const PALETTE = ['#c2410c', '#0f766e', '#7c3aed', '#be185d', '#1d4ed8', '#15803d', '#a16207', '#4338ca', '#0e7490', '#b91c1c'];

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length >= 2 ? [words[0]![0], words[1]![0]] : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}

export function colourOf(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function Avatar({ id, name, size = 'md', square = false }: { id: string; name: string; size?: 'sm' | 'md' | 'lg'; square?: boolean }) {
  return (
    <span className={`avatar ${size}${square ? ' square' : ''}`} style={{ background: colourOf(id) }} aria-hidden="true">
      {initialsOf(name)}
    </span>
  );
}
