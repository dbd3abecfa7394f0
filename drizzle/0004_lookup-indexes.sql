CREATE INDEX "case_events_post_idx" ON "case_events" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "posts_thread_key_idx" ON "posts" USING btree ("channel","thread_key");--> statement-breakpoint
CREATE INDEX "customer_accounts_handles_idx" ON "customer_accounts" USING gin ("known_handles");--> statement-breakpoint
CREATE INDEX "identities_email_idx" ON "identities" USING btree ("email");