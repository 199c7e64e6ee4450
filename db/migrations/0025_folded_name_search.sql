DROP INDEX "institutions_name_trgm_idx";--> statement-breakpoint
DROP INDEX "researchers_name_trgm_idx";--> statement-breakpoint
DROP INDEX "topics_name_trgm_idx";--> statement-breakpoint
CREATE INDEX "institutions_folded_name_trgm_idx" ON "institutions" USING gin (translate(lower("name"), 'áàâäãåāăąéèêëēėęěíìîïīįıóòôöõøōőúùûüūůűųñńňçćčšśşžźżýÿłđďťř', 'aaaaaaaaaeeeeeeeeiiiiiiioooooooouuuuuuuunnncccssszzzyylddtr') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "researchers_folded_name_trgm_idx" ON "researchers" USING gin (translate(lower("name"), 'áàâäãåāăąéèêëēėęěíìîïīįıóòôöõøōőúùûüūůűųñńňçćčšśşžźżýÿłđďťř', 'aaaaaaaaaeeeeeeeeiiiiiiioooooooouuuuuuuunnncccssszzzyylddtr') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "topics_folded_name_trgm_idx" ON "topics" USING gin (translate(lower("name"), 'áàâäãåāăąéèêëēėęěíìîïīįıóòôöõøōőúùûüūůűųñńňçćčšśşžźżýÿłđďťř', 'aaaaaaaaaeeeeeeeeiiiiiiioooooooouuuuuuuunnncccssszzzyylddtr') gin_trgm_ops);