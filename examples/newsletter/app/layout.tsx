// The page around every page: nothing but the document and a little style.
import type { ReactNode } from "react";
import "./style.css";

export const metadata = { title: "Newsletter: @payonce/kit example" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}
