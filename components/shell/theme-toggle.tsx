"use client";
// Light/dark switch. The choice is kept in localStorage and applied before paint by the root layout.
import { Moon, Sun } from "lucide-react";
import { Button } from "@/components/ui/button";

export function ThemeToggle() {
  function toggle() {
    const dark = !document.documentElement.classList.contains("dark");
    document.documentElement.classList.toggle("dark", dark);
    localStorage.setItem("bora-theme", dark ? "dark" : "light");
  }
  return (
    <Button variant="ghost" onClick={toggle} aria-label="Toggle dark mode" title="Toggle dark mode" data-testid="theme-toggle">
      <Sun aria-hidden className="hidden h-4 w-4 dark:block" />
      <Moon aria-hidden className="h-4 w-4 dark:hidden" />
    </Button>
  );
}
