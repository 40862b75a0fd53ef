// Hearth's mark: a flame in a rounded square.
import { Flame } from 'lucide-react';

export function BrandMark({ small = false }: { small?: boolean }) {
  return (
    <span className={`brand-mark${small ? ' small' : ''}`} aria-hidden="true">
      <Flame size={small ? 16 : 20} strokeWidth={2.25} />
    </span>
  );
}
