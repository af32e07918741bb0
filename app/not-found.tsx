import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card">
      <h1>Not found</h1>
      <p>
        There is nothing here for this session. <Link href="/">Back to the shop</Link>.
      </p>
    </div>
  );
}
