CREATE TABLE "alert_baselines" (
	"topic_id" text NOT NULL,
	"metric" text NOT NULL,
	"slot" integer NOT NULL,
	"mean" real DEFAULT 0 NOT NULL,
	"variance" real DEFAULT 0 NOT NULL,
	"n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "alert_baselines_topic_id_metric_slot_pk" PRIMARY KEY("topic_id","metric","slot")
);
--> statement-breakpoint
CREATE TABLE "analytics_case_facts" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"topic_ids" text[] DEFAULT '{}' NOT NULL,
	"team_id" uuid,
	"assignee_id" uuid,
	"status" text NOT NULL,
	"open" boolean NOT NULL,
	"is_outreach" boolean DEFAULT false NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"exchanges" integer DEFAULT 0 NOT NULL,
	"sla_counted" boolean DEFAULT false NOT NULL,
	"resolution_counted" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_counted" (
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_counted_kind_ref_pk" PRIMARY KEY("kind","ref")
);
--> statement-breakpoint
CREATE TABLE "analytics_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_metric_snapshots" (
	"post_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"reposts" integer DEFAULT 0 NOT NULL,
	"replies" integer DEFAULT 0 NOT NULL,
	"likes" integer DEFAULT 0 NOT NULL,
	"velocity" real,
	CONSTRAINT "post_metric_snapshots_post_id_at_pk" PRIMARY KEY("post_id","at")
);
--> statement-breakpoint
CREATE TABLE "discover_dismissals" (
	"post_id" uuid PRIMARY KEY NOT NULL,
	"dismissed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "acknowledged_by" uuid;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "delivery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "delivery_error" text;--> statement-breakpoint
ALTER TABLE "rollups_hourly" ADD COLUMN "resolution_hist" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "drawing_entrants" ADD COLUMN "label" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "winner_entrant_key" text;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "algorithm" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "fulfilment_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "fulfilment_note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "drawings" ADD COLUMN "notify_case_id" uuid;--> statement-breakpoint
ALTER TABLE "discover_dismissals" ADD CONSTRAINT "discover_dismissals_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discover_dismissals" ADD CONSTRAINT "discover_dismissals_dismissed_by_users_id_fk" FOREIGN KEY ("dismissed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_facts_open_idx" ON "analytics_case_facts" USING btree ("opened_at") WHERE open;--> statement-breakpoint
CREATE INDEX "case_facts_opened_idx" ON "analytics_case_facts" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "alerts_dedupe_idx" ON "alerts" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "alerts_undelivered_idx" ON "alerts" USING btree ("created_at") WHERE delivery_attempts < 5 AND delivery_error IS NOT NULL;--> statement-breakpoint
CREATE INDEX "rollups_topic_hour_idx" ON "rollups_hourly" USING btree ("topic_id","hour");