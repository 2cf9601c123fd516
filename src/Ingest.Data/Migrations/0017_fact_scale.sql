-- Figures are stored with at most 16 fractional digits (FactStore.Stored). A quotient written with the 28 a .NET decimal
-- carries comes back from PostgreSQL as a numeric the driver cannot read into a decimal; facts already stored so are
-- rounded in place. The history trigger is held while they are: the value is the same figure, not a new one.
ALTER TABLE ingest.fact DISABLE TRIGGER fact_keep_history;
UPDATE ingest.fact SET value = round(value, 16), numerator = round(numerator, 16), denominator = round(denominator, 16)
WHERE scale(value) > 16 OR scale(numerator) > 16 OR scale(denominator) > 16;
ALTER TABLE ingest.fact ENABLE TRIGGER fact_keep_history;
UPDATE ingest.fact_history SET value = round(value, 16), numerator = round(numerator, 16), denominator = round(denominator, 16)
WHERE scale(value) > 16 OR scale(numerator) > 16 OR scale(denominator) > 16;
