// The control page: the same sign-up form without the kit.
import Link from "next/link";
import { PlainSignUpForm } from "./plain-form";

export default function WithoutKit() {
  return (
    <>
      <h1>The newsletter, without the kit</h1>
      <p>Double-click here and you are signed up twice.</p>
      <PlainSignUpForm />
      <p>
        <Link href="/">The form with the kit</Link>
      </p>
    </>
  );
}
