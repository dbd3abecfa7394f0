CREATE TABLE "rollups_daily" (
	"day" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"topic_id" text DEFAULT '' NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"response_hist" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"response_seconds_sum" bigint DEFAULT 0 NOT NULL,
	"resolution_hist" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "rollups_daily_day_channel_topic_id_pk" PRIMARY KEY("day","channel","topic_id")
);
--> statement-breakpoint
CREATE INDEX "rollups_daily_topic_day_idx" ON "rollups_daily" USING btree ("topic_id","day");