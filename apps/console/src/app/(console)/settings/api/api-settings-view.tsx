"use client";

import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { TokensSection } from "./tokens-section.tsx";
import { type WebhookEventChoice, WebhooksSection } from "./webhooks-section.tsx";

export function ApiSettingsView({ events }: { events: readonly WebhookEventChoice[] }) {
  const current = useCurrentDomain();
  const { domain } = current;
  return (
    <div className="space-y-8">
      <PageHeader
        title="API & webhooks"
        description={
          <>
            Programs (a hotel's property-management system, an operator's OSS) work with {domain.name} through the REST
            API and hear about its events through webhooks.
          </>
        }
      />
      {current.can("tenant.manage") ? (
        <>
          <TokensSection key={`tokens-${domain.id}`} domainId={domain.id} domainName={domain.name} />
          <WebhooksSection key={`hooks-${domain.id}`} domainId={domain.id} domainName={domain.name} events={events} />
        </>
      ) : (
        <EmptyState title="Only owners of this domain manage its API tokens and webhooks">
          Ask an owner of {domain.name} for a token. The reference below describes what a token can do.
        </EmptyState>
      )}
    </div>
  );
}
