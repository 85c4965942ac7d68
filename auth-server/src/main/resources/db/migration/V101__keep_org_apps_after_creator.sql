-- An org's own OAuth app (an oauth_app profile) belongs to the org, not to the admin who entered
-- it: when that admin's account is deleted the app stays, with no creator. Personal profiles
-- still go with their user (UserDeletionService deletes them in the deletion's transaction).
ALTER TABLE auth_profiles ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE auth_profiles DROP CONSTRAINT auth_profiles_created_by_fkey;
ALTER TABLE auth_profiles ADD CONSTRAINT auth_profiles_created_by_fkey
    FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE auth_profiles ADD CONSTRAINT auth_profiles_creator_or_org_app
    CHECK (created_by IS NOT NULL OR kind = 'oauth_app');
