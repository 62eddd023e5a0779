"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import type { Role } from "@/components/labels.ts";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type UserItem = RouterOutputs["users"]["list"][number];
const ROLE_ORDER: Role[] = ["owner", "operator", "support", "viewer"];

export function UsersView() {
  const t = useTranslations("users");
  const tCommon = useTranslations("common");
  const roleName = (role: Role) => tCommon(`roles.${role}`);
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canRead = current.can("user.read");
  const users = useQuery(trpc.users.list.queryOptions({ tenantId: current.domain.id }, { enabled: canRead }));
  const domains = useQuery(trpc.domains.list.queryOptions({ underId: current.domain.id }, { enabled: canRead }));
  const [inviting, setInviting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [disabling, setDisabling] = useState<UserItem | null>(null);
  const [revoking, setRevoking] = useState<{ user: UserItem; role: UserItem["roles"][number] } | null>(null);
  const manageable = (domains.data ?? []).filter((d) => d.role === "owner");
  const owned = new Set(manageable.map((d) => d.id));
  const changed = (message: string) => {
    setNotice(message);
    void queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
  };
  const setDisabled = useMutation(
    trpc.users.setDisabled.mutationOptions({
      onSuccess: (_, input) => {
        setDisabling(null);
        const user = users.data?.find((u) => u.id === input.userId);
        changed(t(input.disabled ? "disabledNotice" : "enabledNotice", { email: user?.email ?? t("theAccount") }));
      },
    }),
  );
  const revoke = useMutation(
    trpc.users.revokeRole.mutationOptions({
      onSuccess: () => {
        if (revoking)
          changed(
            t("revoked", {
              role: roleName(revoking.role.role).toLowerCase(),
              email: revoking.user.email,
              domain: revoking.role.domain.name,
            }),
          );
        setRevoking(null);
      },
    }),
  );

  if (!canRead) {
    return (
      <>
        <PageHeader title={t("title")} />
        <EmptyState title={t("noRoleTitle")}>{t("noRoleBody", { domain: current.domain.name })}</EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { domain: current.domain.name })}
        actions={
          current.can("user.manage") && (
            <Button tone="primary" onClick={() => setInviting((i) => !i)} aria-expanded={inviting}>
              {t("invite")}
            </Button>
          )
        }
      />
      <div className="mb-4 space-y-3">
        {notice && <Notice>{notice}</Notice>}
        <ErrorNotice error={setDisabled.error} focus />
      </div>
      {inviting && (
        <InviteUserForm
          domains={manageable}
          defaultDomainId={current.domain.id}
          onCancel={() => setInviting(false)}
          onInvited={(email) => {
            setInviting(false);
            // The same words whether the email had an account or not: an inviter is not told (see inviteUser).
            changed(t("invited", { email }));
          }}
        />
      )}
      <ErrorNotice error={users.error} />
      {users.data && users.data.length <= 1 && !inviting && (
        <div className="mb-4">
          <EmptyState title={t("emptyTitle")}>
            {current.can("user.manage") ? t("emptyManage") : t("emptyView")}
          </EmptyState>
        </div>
      )}
      {users.data && users.data.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("user")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("roles")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("lastSignIn")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("status")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.data.map((user) => (
                <tr key={user.id} className={user.disabled ? "text-slate-500" : undefined}>
                  <td className="px-3 py-2">
                    <span className="block font-medium">{user.email}</span>
                    {user.name && <span className="block text-xs text-slate-500">{user.name}</span>}
                  </td>
                  <td className="px-3 py-2">
                    <ul className="space-y-1">
                      {user.roles.map((role) => (
                        <li key={role.membershipId} className="flex flex-wrap items-center gap-2">
                          <span>
                            {t("roleOn", { role: roleName(role.role), domain: role.domain.path.join(" / ") })}
                          </span>
                          {owned.has(role.domain.id) && user.id !== current.me.user.id && (
                            <Button
                              size="sm"
                              tone="quiet"
                              aria-label={t("removeLabel", {
                                role: roleName(role.role),
                                email: user.email,
                                domain: role.domain.name,
                              })}
                              onClick={() => setRevoking({ user, role })}
                            >
                              {t("remove")}
                            </Button>
                          )}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="px-3 py-2">
                    <LocalTime value={user.lastSignInAt} relative />
                  </td>
                  <td className="px-3 py-2">
                    <span className="mr-2">{user.disabled ? t("disabled") : t("active")}</span>
                    {current.can("user.manage") && user.id !== current.me.user.id && (
                      <Button
                        size="sm"
                        onClick={() =>
                          user.disabled ? setDisabled.mutate({ userId: user.id, disabled: false }) : setDisabling(user)
                        }
                        aria-label={t(user.disabled ? "enableLabel" : "disableLabel", { email: user.email })}
                      >
                        {user.disabled ? t("enable") : t("disable")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {disabling && (
        <ConfirmDialog
          title={t("disableTitle", { email: disabling.email })}
          confirmLabel={t("disableConfirm")}
          tone="danger"
          pending={setDisabled.isPending}
          onClose={() => setDisabling(null)}
          onConfirm={() => setDisabled.mutate({ userId: disabling.id, disabled: true })}
        >
          <p>{t("disableBody")}</p>
          <ErrorNotice error={setDisabled.error} focus />
        </ConfirmDialog>
      )}
      {revoking && (
        <ConfirmDialog
          title={t("revokeTitle")}
          confirmLabel={t("revokeConfirm")}
          tone="danger"
          pending={revoke.isPending}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke.mutate({ membershipId: revoking.role.membershipId })}
        >
          <p>
            {t("revokeBody", {
              email: revoking.user.email,
              role: roleName(revoking.role.role).toLowerCase(),
              domain: revoking.role.domain.path.join(" / "),
            })}
          </p>
          <ErrorNotice error={revoke.error} focus />
        </ConfirmDialog>
      )}
    </>
  );
}

function InviteUserForm({
  domains,
  defaultDomainId,
  onCancel,
  onInvited,
}: {
  domains: RouterOutputs["domains"]["list"];
  defaultDomainId: string;
  onCancel: () => void;
  onInvited: (email: string) => void;
}) {
  const t = useTranslations("users");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const invite = useMutation(
    trpc.users.invite.mutationOptions({ onSuccess: (_, input) => onInvited(input.email.trim()) }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    invite.mutate({
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? "") || undefined,
      password: String(form.get("password") ?? ""),
      tenantId: String(form.get("tenantId")),
      role: String(form.get("role")) as Role,
    });
  };
  return (
    <form
      onSubmit={submit}
      aria-labelledby="invite-heading"
      className="mb-6 space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="invite-heading" className="text-base font-semibold">
        {t("invite")}
      </h2>
      <ErrorNotice error={invite.error} focus />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("form.email")} name="email" type="email" required autoComplete="off" />
        <TextField label={t("form.name")} name="name" autoComplete="off" hint={t("form.optional")} />
        <TextField
          label={t("form.password")}
          name="password"
          type="text"
          required
          minLength={10}
          autoComplete="new-password"
          hint={t("form.passwordHint")}
        />
        <SelectField
          label={t("form.domain")}
          name="tenantId"
          defaultValue={defaultDomainId}
          options={domains.map((d) => ({ value: d.id, label: d.path.join(" / ") }))}
        />
        <SelectField
          label={t("form.role")}
          name="role"
          defaultValue="viewer"
          options={ROLE_ORDER.map((role) => ({
            value: role,
            label: t("form.roleOption", {
              role: tCommon(`roles.${role}`),
              description: tCommon(`roleDescriptions.${role}`),
            }),
          }))}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={invite.isPending}>
          {invite.isPending ? t("form.inviting") : t("form.submit")}
        </Button>
        <Button onClick={onCancel}>{tCommon("actions.cancel")}</Button>
      </div>
    </form>
  );
}
