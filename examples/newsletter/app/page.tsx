// The newsletter's sign-up page, protected by the kit.
import { randomUUID } from "node:crypto";
import Link from "next/link";
import { connection } from "next/server";
import { SignUpForm } from "./signup-form";

export default async function Home() {
  // Rendered for each request, never prerendered: every page served gets an attempt key of its own.
  await connection();
  return (
    <>
      <h1>The newsletter</h1>
      <p>Double-click, press Enter twice, or click before the page has loaded: you are signed up once.</p>
      <SignUpForm serverKey={randomUUID()} />
      <p>
        <Link href="/without-kit">The same form without the kit</Link>
      </p>
    </>
  );
}
