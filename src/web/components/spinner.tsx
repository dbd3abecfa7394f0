/** A small spinning ring; decorative unless given a label. */
export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  const style = { width: size, height: size };
  if (!label) return <span className="spinner" style={style} aria-hidden="true" />;
  return (
    <span role="status" className="spinner" style={style}>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
