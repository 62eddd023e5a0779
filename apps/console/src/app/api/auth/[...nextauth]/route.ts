import type { NextRequest } from "next/server";
import NextAuth from "next-auth/next";
import { authOptions } from "@/server/auth.ts";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: NextRequest, context: Context): Promise<Response> {
  return NextAuth(request, context, authOptions());
}

export { handler as GET, handler as POST };
