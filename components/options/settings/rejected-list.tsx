/** A list of what was not taken, each with its row or entry and the reason. */
export function RejectedList({ title, items }: { title: string; items: { at: string; reason: string }[] }) {
  if (!items.length) return null;
  return (
    <div className="rejected" role="group" aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            <strong>{item.at}</strong>: {item.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
